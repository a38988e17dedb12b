using Herald.Storage.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Storage;

/// <summary>
/// Carries the credential protector in a context's options. A pooled context's constructor may take nothing but its
/// options, and pooling matters: every attempt a worker runs has a scope of its own, so without a pool each one
/// would build a context and its internal services again.
/// </summary>
internal sealed class HeraldOptionsExtension(CredentialProtector protector) : IDbContextOptionsExtension
{
    public CredentialProtector Protector { get; } = protector;

    public DbContextOptionsExtensionInfo Info => new ExtensionInfo(this);

    public void ApplyServices(IServiceCollection services)
    {
    }

    public void Validate(IDbContextOptions options)
    {
    }

    private sealed class ExtensionInfo(IDbContextOptionsExtension extension) : DbContextOptionsExtensionInfo(extension)
    {
        public override bool IsDatabaseProvider => false;

        public override string LogFragment => "";

        // The protector changes no internal service: one internal service provider serves every key (the model is
        // cached per key by HeraldModelCacheKeyFactory).
        public override int GetServiceProviderHashCode() => 0;

        public override bool ShouldUseSameServiceProvider(DbContextOptionsExtensionInfo other) => other is ExtensionInfo;

        public override void PopulateDebugInfo(IDictionary<string, string> debugInfo)
        {
        }
    }
}

internal static class HeraldOptionsBuilderExtensions
{
    /// <summary>Encrypts and decrypts account credentials with <paramref name="protector"/>.</summary>
    public static DbContextOptionsBuilder<TContext> UseHeraldCredentials<TContext>(this DbContextOptionsBuilder<TContext> builder, CredentialProtector protector)
        where TContext : DbContext
    {
        ((IDbContextOptionsBuilderInfrastructure)builder).AddOrUpdateExtension(new HeraldOptionsExtension(protector));
        return builder;
    }

    public static DbContextOptionsBuilder UseHeraldCredentials(this DbContextOptionsBuilder builder, CredentialProtector protector)
    {
        ((IDbContextOptionsBuilderInfrastructure)builder).AddOrUpdateExtension(new HeraldOptionsExtension(protector));
        return builder;
    }
}
