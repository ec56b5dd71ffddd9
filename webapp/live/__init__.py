"""The live adapter: connecting, joining, resolving a participant, catching a client up."""
