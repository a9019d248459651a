-- Redshift DDL, as the original services shipped it: gdx translates ENCODE, SORTKEY,
-- DISTSTYLE and grants for the embedded SQLite warehouse and for PostgreSQL.
CREATE SCHEMA IF NOT EXISTS demo;
CREATE TABLE IF NOT EXISTS demo.call_centre
(
  "id" VARCHAR(20) ENCODE ZSTD NOT NULL,
  "skillgroup" VARCHAR(30) ENCODE ZSTD,
  "contactreason" VARCHAR(50) ENCODE ZSTD,
  "datekey" TIMESTAMP WITHOUT TIME ZONE ENCODE AZ64,
  "answered" BOOLEAN ENCODE ZSTD,
  "handletime" DOUBLE PRECISION ENCODE ZSTD,
  "waittime" INTEGER ENCODE AZ64,
  "note" VARCHAR(20) ENCODE ZSTD
)
DISTSTYLE EVEN
SORTKEY (datekey);

GRANT SELECT ON demo.call_centre TO "looker";
