"""The network side of xxgk-monitor: a Scrapy project plus pure extraction functions."""
