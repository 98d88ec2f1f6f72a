"""The judgement side: reads stored rows and an as-of date, never the network."""
