"""The build of Linear Regression Lab, one job per module; build.py says what a build does."""
