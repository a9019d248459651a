-- Tables of the cmslite-metadata demo (Redshift DDL; gdx translates it for SQLite/PostgreSQL).
CREATE SCHEMA IF NOT EXISTS demo_cms;
CREATE TABLE IF NOT EXISTS demo_cms.metadata (
  node_id VARCHAR(255) NOT NULL ENCODE ZSTD,
  parent_node_id VARCHAR(255) ENCODE ZSTD,
  title VARCHAR(2047) ENCODE ZSTD,
  folder_name VARCHAR(255) ENCODE ZSTD,
  dcterms_creator VARCHAR(4095) ENCODE ZSTD,
  modified_date TIMESTAMP ENCODE AZ64
) DISTSTYLE EVEN;
CREATE TABLE IF NOT EXISTS demo_cms.content_types (id BIGINT NOT NULL, value VARCHAR(255) NOT NULL);
CREATE TABLE IF NOT EXISTS demo_cms.languages (id BIGINT NOT NULL, value VARCHAR(255) NOT NULL);
CREATE TABLE IF NOT EXISTS demo_cms.creators (id BIGINT NOT NULL, value VARCHAR(255) NOT NULL);
CREATE TABLE IF NOT EXISTS demo_cms.metadata_content_types (node_id VARCHAR(255) NOT NULL, id BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS demo_cms.metadata_languages (node_id VARCHAR(255) NOT NULL, id BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS demo_cms.metadata_creators (node_id VARCHAR(255) NOT NULL, id BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS demo_cms.microservice_log (starttime TIMESTAMP, endtime TIMESTAMP);
GRANT SELECT ON demo_cms.metadata TO looker;
