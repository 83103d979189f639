"""What happens on calls: the intake switch adapters report to, and the live state it keeps."""
