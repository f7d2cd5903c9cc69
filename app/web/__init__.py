"""The thin web layer: pages, JSON API and the run websocket. It never touches sockets itself."""
