"""Authentication: tokens, credential hashes, login throttling, the account tree."""
