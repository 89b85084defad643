import { MigrationInterface, QueryRunner } from 'typeorm';
import { isolateCompanies, stopIsolatingCompanies } from './support/row-level-security';

/**
 * Files and their bytes. The bytes are rows of `file_chunks` (bytea), not large objects: row-level
 * security covers rows, and large objects have no company. The chunks' foreign key is deferred so an
 * upload writes its chunks as they arrive and the file row, with its size and hash, last.
 *
 * The file references that already existed as bare uuids (an agreement's signed document, the
 * company's logo) become composite foreign keys: a file of another company cannot be named, and a
 * file still named cannot be deleted. Ids that name no file (there was no Files family before) are
 * cleared first.
 */
export class Files1764001600000 implements MigrationInterface {
  name = 'Files1764001600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE files (
        id            uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        company_id    uuid        NOT NULL,
        name          text        NOT NULL,
        content_type  text        NOT NULL,
        size          bigint      NOT NULL,
        sha256        text        NOT NULL,
        entity_type   text,
        entity_id     uuid,
        created_at    timestamptz NOT NULL DEFAULT now(),
        updated_at    timestamptz NOT NULL DEFAULT now(),
        created_by    text        NOT NULL,
        version       integer     NOT NULL DEFAULT 1,
        CONSTRAINT uq__files__company_id_id UNIQUE (company_id, id),
        CONSTRAINT ck__files__size_not_negative CHECK (size >= 0),
        CONSTRAINT ck__files__sha256 CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        CONSTRAINT ck__files__entity CHECK ((entity_type IS NULL) = (entity_id IS NULL))
      )`);
    // Files of one record (the list's filter, and the detaching when a record is deleted).
    await q.query(`CREATE INDEX ix__files__entity ON files (company_id, entity_type, entity_id) WHERE entity_id IS NOT NULL`);
    await isolateCompanies(q, 'files');

    await q.query(`
      CREATE TABLE file_chunks (
        company_id  uuid     NOT NULL,
        file_id     uuid     NOT NULL,
        seq         integer  NOT NULL,
        bytes       bytea    NOT NULL,
        CONSTRAINT pk__file_chunks PRIMARY KEY (company_id, file_id, seq),
        CONSTRAINT fk__file_chunks__file_id FOREIGN KEY (company_id, file_id)
          REFERENCES files (company_id, id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
        CONSTRAINT ck__file_chunks__seq_not_negative CHECK (seq >= 0)
      )`);
    // Uploads are mostly compressed already (PDF, images): no second compression, and a range read
    // fetches only the slices of TOAST it needs.
    await q.query(`ALTER TABLE file_chunks ALTER COLUMN bytes SET STORAGE EXTERNAL`);
    await isolateCompanies(q, 'file_chunks');

    // Nothing but bare uuids could be stored so far; none of them names a file. Row-level security
    // holds the owner too: the clean-up sees every company through the jobs' cross-company switch,
    // for this migration's transaction only.
    await q.query(`SELECT set_config('app.cross_company', 'on', true)`);
    await q.query(`UPDATE agreements SET document_file_id = NULL WHERE document_file_id IS NOT NULL`);
    await q.query(`UPDATE companies SET logo_file_id = NULL WHERE logo_file_id IS NOT NULL`);
    await q.query(`
      ALTER TABLE agreements ADD CONSTRAINT fk__agreements__document_file_id FOREIGN KEY (company_id, document_file_id)
        REFERENCES files (company_id, id) ON DELETE NO ACTION`);
    await q.query(`CREATE INDEX ix__agreements__document_file ON agreements (company_id, document_file_id) WHERE document_file_id IS NOT NULL`);
    await q.query(`
      ALTER TABLE companies ADD CONSTRAINT fk__companies__logo_file_id FOREIGN KEY (company_id, logo_file_id)
        REFERENCES files (company_id, id) ON DELETE NO ACTION`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE companies DROP CONSTRAINT fk__companies__logo_file_id`);
    await q.query(`DROP INDEX ix__agreements__document_file`);
    await q.query(`ALTER TABLE agreements DROP CONSTRAINT fk__agreements__document_file_id`);
    await stopIsolatingCompanies(q, 'file_chunks');
    await q.query(`DROP TABLE file_chunks`);
    await stopIsolatingCompanies(q, 'files');
    await q.query(`DROP TABLE files`);
  }
}
