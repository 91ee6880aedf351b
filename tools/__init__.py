"""Development tools: never imported by the package, never shipped in the wheel."""
