# Odoo 18 with the product's add-ons and the 1C exchange package.
# The same image also runs the 1C stand-in (see docker-compose.yml).
FROM odoo:18

USER root
COPY requirements.txt /opt/sme-crm/requirements.txt
COPY pyproject.toml README.md /opt/sme-crm/
COPY onec_exchange /opt/sme-crm/onec_exchange
# The official image runs Debian/Ubuntu's Python: its packages are system-managed.
RUN pip3 install --no-cache-dir --break-system-packages \
        -r /opt/sme-crm/requirements.txt /opt/sme-crm
COPY crm_sme_kpi /mnt/extra-addons/crm_sme_kpi
COPY accounting_1c_connector /mnt/extra-addons/accounting_1c_connector
USER odoo
