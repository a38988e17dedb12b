using System.Xml.Linq;
using Herald.Accounts;
using Herald.Storage.Security;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;

namespace Herald.Server.Dashboard.Identity;

/// <summary>
/// Encrypts the data protection key ring at rest with Herald's credential key (AES-GCM, as account credentials are):
/// a copy of the database alone does not let anyone forge a dashboard cookie.
/// </summary>
internal sealed class DataProtectionKeyEncryptor(CredentialProtector protector) : IXmlEncryptor
{
    internal const string ElementName = "heraldEncryptedKey";
    internal const string XmlKey = "xml";

    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        var encrypted = protector.Protect(new AccountCredentials(new Dictionary<string, string>
        {
            [XmlKey] = plaintextElement.ToString(SaveOptions.DisableFormatting),
        }));
        return new EncryptedXmlInfo(new XElement(ElementName, encrypted), typeof(DataProtectionKeyDecryptor));
    }
}

/// <summary>Reads what <see cref="DataProtectionKeyEncryptor"/> wrote (created by the key manager, by type name).</summary>
internal sealed class DataProtectionKeyDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        var values = services.GetRequiredService<CredentialProtector>().Unprotect(encryptedElement.Value);
        return XElement.Parse(values[DataProtectionKeyEncryptor.XmlKey] ?? throw new InvalidOperationException("The stored data protection key has no XML."));
    }
}
