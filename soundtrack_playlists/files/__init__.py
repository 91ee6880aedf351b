"""Files the tool owns: where they live, atomic writes, the run lock on a season."""
