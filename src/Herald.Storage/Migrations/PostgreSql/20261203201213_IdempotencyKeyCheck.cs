using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Herald.Storage.Migrations.PostgreSql
{
    /// <summary>
    /// A publication's idempotency key is <c>herald-</c> and its id: a check that it is made so keeps it unique through
    /// the primary key, in place of a unique index of its own that every insert also had to update (a tenth of the
    /// publications' share of a bulk schedule; docs/benchmarks.md). Adding the check reads every row once.
    /// </summary>
    public partial class IdempotencyKeyCheck : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_publications_idempotency_key",
                table: "publications");

            migrationBuilder.AddCheckConstraint(
                name: "ck_publications_idempotency_key",
                table: "publications",
                sql: "idempotency_key = 'herald-' || replace(id::text, '-', '')");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropCheckConstraint(
                name: "ck_publications_idempotency_key",
                table: "publications");

            migrationBuilder.CreateIndex(
                name: "IX_publications_idempotency_key",
                table: "publications",
                column: "idempotency_key",
                unique: true);
        }
    }
}
