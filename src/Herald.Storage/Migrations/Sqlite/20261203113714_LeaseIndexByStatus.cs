using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Herald.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class LeaseIndexByStatus : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_publications_lease",
                table: "publications");

            migrationBuilder.CreateIndex(
                name: "ix_publications_lease",
                table: "publications",
                columns: new[] { "status", "lease_expires_at" },
                filter: "status = 'Publishing'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_publications_lease",
                table: "publications");

            migrationBuilder.CreateIndex(
                name: "ix_publications_lease",
                table: "publications",
                column: "lease_expires_at",
                filter: "status = 'Publishing'");
        }
    }
}
