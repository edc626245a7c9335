"""Getting data in: accounts, people, orders and wallet estimates from .xlsx and .csv files.

The flow, on the web and on the command line alike: read the file
(``readers``), match its headers to the entity's fields (``header_matching``),
run the rows through the entity (``core_entities`` and plugins' entities,
declared through the ``import_entities`` hook) in a dry run that reports what
would be created, updated and rejected, then commit in one transaction
(``service``). Every upload is kept in ``import_batches``, which is also the
import log.
"""
