// The HTTP transport arrives with issue 3.
