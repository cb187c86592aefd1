"""Customer Care Review: load, validate, score, render and publish the benchmark."""
