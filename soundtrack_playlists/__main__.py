"""Lets `python -m soundtrack_playlists` run the command line."""

from soundtrack_playlists.launch import main

main()
