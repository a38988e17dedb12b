using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Herald.Storage.Migrations.PostgreSql
{
    /// <summary>
    /// Validates <c>ck_publications_idempotency_key</c>, which <see cref="IdempotencyKeyCheck"/> added unvalidated. A
    /// migration of its own, so in a transaction of its own: the first one's lock on <c>publications</c> is gone, and
    /// the validation reads every row under a lock that lets inserts and updates go on.
    /// </summary>
    public partial class IdempotencyKeyValidated : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The first look, in IdempotencyKeyCheck, could miss a row committed by a transaction that was open when
            // it began; none can come in since the check was added, so this second look names any there is.
            migrationBuilder.Sql(IdempotencyKeyCheck.RefuseStrayKeys);
            migrationBuilder.Sql("ALTER TABLE publications VALIDATE CONSTRAINT ck_publications_idempotency_key;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // An unvalidated check still holds for every row written since it was added; nothing to undo.
        }
    }
}
