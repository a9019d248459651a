#!/usr/bin/env bash
# Installs what gdx needs, builds it, and runs the main job on the demo data in examples/:
# a directory as the bucket, SQLite as the warehouse. Everything lands in ./demo/ (re-created).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh build
gdx=build/gdx

rm -rf demo && mkdir -p demo/store
cp -r examples/data/demo-bucket demo/store/
export GDX_STORE=file:demo/store GDX_WAREHOUSE=sqlite:demo/gdx.db

echo "\$ gdx sql -f examples/ddl/demo.call_centre.sql"
$gdx sql -f examples/ddl/demo.call_centre.sql --log-dir demo/logs
echo "\$ gdx s3-to-redshift examples/config.d/call_centre_demo.json"
$gdx s3-to-redshift examples/config.d/call_centre_demo.json --log-dir demo/logs
echo
echo "\$ gdx sql -c 'SELECT * FROM demo.call_centre ORDER BY id'"
$gdx sql -c 'SELECT * FROM demo.call_centre ORDER BY id' --log-dir demo/logs
echo
echo "\$ gdx sql -f examples/ddl/demo_cms.sql"
$gdx sql -f examples/ddl/demo_cms.sql --log-dir demo/logs
echo "\$ gdx cmslite-metadata examples/config.d/cmslite_demo.json"
$gdx cmslite-metadata examples/config.d/cmslite_demo.json --log-dir demo/logs
echo
echo "\$ gdx sql -c 'SELECT m.node_id, c.value AS content_type FROM demo_cms.metadata_content_types m JOIN demo_cms.content_types c ON c.id = m.id ORDER BY 1, 2'"
$gdx sql -c 'SELECT m.node_id, c.value AS content_type FROM demo_cms.metadata_content_types m JOIN demo_cms.content_types c ON c.id = m.id ORDER BY 1, 2' --log-dir demo/logs
echo
echo "Objects now in the bucket (demo/store/demo-bucket):"
(cd demo/store/demo-bucket && find . -type f | sort | sed 's|^\./|  |')
