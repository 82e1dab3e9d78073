"""Pay-scale data shipped with postcost (YAML files; each figure carries its source)."""
