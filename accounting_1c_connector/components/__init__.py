from . import adapter, binder, exporter, importer, mapper, runner
