"""The checked spreadsheet import (and the safe export) every app uses.

A person uploads an ``.xlsx`` or ``.csv``; the file is *checked* first (a
preview: new, changed, unchanged rows and every error tied to its row and
column; nothing written), and *applied* only when confirmed. Both passes run
as a Celery job that writes its progress to the job row.

What an app provides (``catalogs/spreadsheets.py`` is the worked example):

1. A **job model** subclassing ``spreadsheets.models.ImportJobBase`` (abstract:
   file, original name, status, row counts, errors, message, created_by,
   ``percent``, ``is_running``). It adds what the import goes into and the
   division it is scoped by, and its own ``file`` field for its own
   ``upload_to`` folder::

       class ImportJob(ImportJobBase):
           register = models.ForeignKey(Register, on_delete=models.CASCADE)
           division = models.ForeignKey("divisions.Division", on_delete=models.PROTECT, related_name="+")
           file = models.FileField(_("file"), upload_to="certificate-imports/%Y/%m/")
           objects = ImportJobQuerySet.as_manager()   # scoped, like every model

           class Meta(ImportJobBase.Meta):
               pass

2. A **schema** (``spreadsheets.schema.Schema``): the columns as
   ``Column(key, Chinese header, required)``, further accepted headers in
   ``aliases``, an optional ``unique_key`` (a value that may appear once per
   file), and ``clean(cells) -> (values, {key: [messages]})``: the row
   validator. It receives the cells by key with export quotes taken off and
   text stripped, and calls the same validation the app's forms, API and
   services use. Errors name the key; the engine turns the key into the
   column header as the file spelled it (override ``error_column`` to name
   several). ``cell_date`` / ``cell_number`` read Excel's date serials and
   floats; ``cell_text`` reads a cell where text, a code or a whole number is
   expected (Excel keeps a typed 12 or a 12-digit code as a number, which the
   reader gives as 12.0: ``cell_text`` makes it "12", as a CSV would).

3. An **applier** (``spreadsheets.imports.Applier``), built per pass by the
   importer: ``row(values) -> (NEW | CHANGED | UNCHANGED, payload)`` or
   ``raise RowRefused(key, message)`` for a rule of the data already there;
   ``write(payloads)`` writes one batch through the app's services. ``write``
   is never called by a check, nor once any row has an error.

4. An **importer** (``spreadsheets.imports.Importer``) tying them together::

       class CertificateImporter(Importer):
           schema = CertificateSchema()
           def applier(self, job, *, write):   return CertificateApplier(job, write)
           def applied(self, job, outcome):    record_event(...)   # in the transaction marking it done

   It gives ``store_upload(job, upload)`` (size and format checked, file
   stored on the unsaved job; raises ``SpreadsheetError``),
   ``lock_for_confirm(job)`` (inside the app's ``@transaction.atomic``
   confirm service, after its permission check), and ``check(job)`` /
   ``apply(job)``, which the app's Celery tasks call with the job fetched by
   id. The app's services own permissions, the audit events and starting the
   tasks (``villageburden.tasks.enqueue``).

Reading (``spreadsheets.reading``): ``sniff_format``, ``open_sheet`` (the
first sheet; ``.xlsx`` through the streaming reader ``spreadsheets.xlsx``,
which refuses DTDs and oversized members; ``.csv`` in UTF-8 or GB18030),
``map_headers``, ``SpreadsheetError`` (its message is shown to the user).
Writing (``spreadsheets.writing``): ``write_csv`` / ``write_xlsx`` with every
cell neutralised against formula injection (``villageburden.exports``).
Job states: ``spreadsheets.choices.ImportStatus``.
"""
