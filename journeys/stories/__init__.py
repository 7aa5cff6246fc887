"""Stories (verhalen): the archive at /verhalen/ and per journey, telling, editing and
withdrawing, and "tellen en vertellen" (counts and charts beside the stories).

services.py writes, queries.py decides who sees what, facets.py and charts.py count
what a user may see. See docs/stories.md.
"""
