"""Every write that matters for certificates: issue, store the PDF, revoke, reissue."""
