"""The live channel's transport: eventlet and python-socketio specifics, nothing about meetings."""
