"""Reading tracklist sources (text, Markdown, HTML, CSV/TSV, URLs) into episodes of songs."""
