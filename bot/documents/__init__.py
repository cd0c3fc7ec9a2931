"""Documents and pictures the curator receives: workbooks, Word documents, charts. Drawn from
the data of services.reports; no messenger knowledge."""
