using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Herald.Storage.Migrations.PostgreSql
{
    /// <summary>
    /// Validates <c>ck_publications_idempotency_key</c> (added unvalidated by <see cref="IdempotencyKeyCheck"/>) outside a
    /// transaction: it reads every row under a lock that lets inserts and updates go on. Alone in its migration, so
    /// that one interrupted is simply run again; validating a valid check again changes nothing.
    /// </summary>
    public partial class IdempotencyKeyValidated : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(
                "ALTER TABLE publications VALIDATE CONSTRAINT ck_publications_idempotency_key;",
                suppressTransaction: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // An unvalidated check still holds for every row written since it was added; nothing to undo.
        }
    }
}
