"""Reports people can look at: the audit HTML report, monthly and 公示 lists."""
