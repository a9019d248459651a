-- Post-load SQL of the cmslite-metadata demo: runs in the same transaction as the loads.
UPDATE {dbschema}.metadata SET folder_name = 'site root' WHERE parent_node_id = '';
