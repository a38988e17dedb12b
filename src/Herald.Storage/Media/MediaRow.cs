using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Herald.Storage.Media;

/// <summary>
/// One stored image, named by the SHA-256 of its bytes. The bytes (<c>data</c>) are written and read as streams by
/// <see cref="MediaStore"/>, never through EF, so loading a row's facts never loads its bytes.
/// </summary>
internal sealed class MediaRow
{
    public string Sha256 { get; set; } = "";

    public string MediaType { get; set; } = "";

    public long Length { get; set; }

    public int Width { get; set; }

    public int Height { get; set; }

    public byte[] Data { get; set; } = [];
}

internal sealed class MediaConfiguration : IEntityTypeConfiguration<MediaRow>
{
    public void Configure(EntityTypeBuilder<MediaRow> builder)
    {
        builder.ToTable("media");
        builder.HasKey(m => m.Sha256);
        builder.Property(m => m.Sha256).HasColumnName("sha256").HasMaxLength(64);
        builder.Property(m => m.MediaType).HasColumnName("media_type").HasMaxLength(64);
        builder.Property(m => m.Length).HasColumnName("length");
        builder.Property(m => m.Width).HasColumnName("width");
        builder.Property(m => m.Height).HasColumnName("height");
        builder.Property(m => m.Data).HasColumnName("data");
    }
}
