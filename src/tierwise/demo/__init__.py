"""A generated demo company (files in users' formats) for trying tierwise end to end."""

from tierwise.demo.generator import generate_demo_files

__all__ = ["generate_demo_files"]
