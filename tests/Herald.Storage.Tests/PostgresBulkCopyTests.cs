using Herald.Testing;
using Microsoft.EntityFrameworkCore;

namespace Herald.Storage.Tests;

/// <summary>
/// Binary COPY on a real PostgreSQL, driven by an EF model of the test's own: the table's schema and quoted names
/// come from the model, shadow properties are given by name, and a generated column is refused, not guessed.
/// </summary>
public sealed class PostgresBulkCopyTests
{
    [Fact]
    public async Task Copy_TableInASchemaWithAQuotedName_StoresEveryRowWithItsShadowValue()
    {
        await WithDatabaseAsync<PlainContext>(async db =>
        {
            var rows = Enumerable.Range(0, 3).Select(i => new Row { Id = Guid.NewGuid(), Name = $"row \"{i}\"" }).ToList();

            await new PostgresBulkCopy(db).CopyAsync(rows, Shadow(r => $"shadow of {r.Name}"), CancellationToken.None);

            var stored = await db.Rows.AsNoTracking().OrderBy(r => r.Name)
                .Select(r => new { r.Id, r.Name, Note = EF.Property<string>(r, "Note") }).ToListAsync();
            Assert.Equal(
                rows.Select(r => (r.Id, r.Name, $"shadow of {r.Name}")),
                stored.Select(r => (r.Id, r.Name, r.Note)));
        });
    }

    [Fact]
    public async Task Copy_ShadowPropertyWithoutAValue_IsRefusedNamingItBeforeWriting()
    {
        await WithDatabaseAsync<PlainContext>(async db =>
        {
            var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() =>
                new PostgresBulkCopy(db).CopyAsync([new Row { Id = Guid.NewGuid(), Name = "a" }], Shadow(_ => "x", name: "Other"), CancellationToken.None));

            Assert.Contains("Row.Note", thrown.Message, StringComparison.Ordinal);
            Assert.Equal(0, await db.Rows.CountAsync());
        });
    }

    [Fact]
    public async Task Copy_GeneratedColumn_IsRefusedNamingIt()
    {
        await WithDatabaseAsync<GeneratedContext>(async db =>
        {
            var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() =>
                new PostgresBulkCopy(db).CopyAsync([new Row { Name = "a" }], Shadow(_ => "x"), CancellationToken.None));

            Assert.Contains("Row.Id", thrown.Message, StringComparison.Ordinal);
            Assert.Contains("generated", thrown.Message, StringComparison.Ordinal);
            Assert.Equal(0, await db.Rows.CountAsync());
        });
    }

    [Theory]
    [InlineData("contents", "\"contents\"")]
    [InlineData("My \"Table\"", "\"My \"\"Table\"\"\"")]
    public void Quote_AnyName_IsAQuotedIdentifier(string name, string quoted) => Assert.Equal(quoted, ModelSql.Quote(name));

    private static Dictionary<string, Func<Row, object?>> Shadow(Func<Row, string> value, string name = "Note") => new() { [name] = value };

    private static async Task WithDatabaseAsync<TContext>(Func<TContext, Task> test)
        where TContext : DbContext
    {
        var (database, connectionString) = await ScratchPostgres.CreateAsync("herald_copy");
        try
        {
            var options = new DbContextOptionsBuilder<TContext>().UseNpgsql(connectionString).Options;
            await using var db = (TContext)Activator.CreateInstance(typeof(TContext), options)!;
            await db.Database.EnsureCreatedAsync();
            await db.Database.OpenConnectionAsync();
            await test(db);
        }
        finally
        {
            await ScratchPostgres.DropAsync(database);
        }
    }

    public sealed class Row
    {
        public Guid Id { get; set; }

        public string Name { get; set; } = "";
    }

    /// <summary>A table outside the default schema, with names that need quoting, and a shadow column.</summary>
    public class PlainContext(DbContextOptions options) : DbContext(options)
    {
        public DbSet<Row> Rows => Set<Row>();

        protected override void OnModelCreating(ModelBuilder modelBuilder)
        {
            modelBuilder.Entity<Row>(b =>
            {
                b.ToTable("Bulk Rows", "copy_test");
                b.Property(r => r.Id).HasColumnName("Id").ValueGeneratedNever();
                b.Property(r => r.Name).HasColumnName("Row Name");
                b.Property<string>("Note").HasColumnName("note");
            });
        }
    }

    /// <summary>The same table with an id the database generates.</summary>
    public sealed class GeneratedContext(DbContextOptions options) : PlainContext(options)
    {
        protected override void OnModelCreating(ModelBuilder modelBuilder)
        {
            base.OnModelCreating(modelBuilder);
            modelBuilder.Entity<Row>().Property(r => r.Id).ValueGeneratedOnAdd().HasDefaultValueSql("gen_random_uuid()");
        }
    }
}
