"""What the explorer shows: page data, search, the partner directory and subgraph drawing."""
