using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Herald.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Media : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "uploaded_media",
                table: "publications",
                type: "TEXT",
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.AddColumn<string>(
                name: "images",
                table: "contents",
                type: "TEXT",
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.CreateTable(
                name: "media",
                columns: table => new
                {
                    sha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    media_type = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    length = table.Column<long>(type: "INTEGER", nullable: false),
                    width = table.Column<int>(type: "INTEGER", nullable: false),
                    height = table.Column<int>(type: "INTEGER", nullable: false),
                    data = table.Column<byte[]>(type: "BLOB", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_media", x => x.sha256);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "media");

            migrationBuilder.DropColumn(
                name: "uploaded_media",
                table: "publications");

            migrationBuilder.DropColumn(
                name: "images",
                table: "contents");
        }
    }
}
