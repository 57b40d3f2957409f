from . import adapter, base, binder, exporter, importer, mapper, runner
