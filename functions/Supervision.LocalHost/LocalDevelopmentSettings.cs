using System.Security.Cryptography;
using Supervision.Evidence;
using Supervision.LocalHost.Azurite;
using Supervision.Vendors;

namespace Supervision.LocalHost;

/// <summary>Settings the local host supplies itself when none are configured, so it runs with no setup.</summary>
internal static class LocalDevelopmentSettings
{
    public static void Apply(ConfigurationManager configuration)
    {
        string signingKey = $"{VendorLinkOptions.Section}:SigningKeys:0";
        configuration[signingKey] ??= DevelopmentSigningKey();

        // The browser PUTs evidence straight to Azurite; the SAS is the credential, so any origin may send it locally.
        string corsOrigin = $"{EvidenceOptions.Section}:CorsOrigins:0";
        configuration[corsOrigin] ??= "*";

        if (configuration["Urls"] is { } urls && Uri.TryCreate(urls.Split(';')[0], UriKind.Absolute, out Uri? url) && url.Port != 0)
            configuration[$"{VendorLinkOptions.Section}:{nameof(VendorLinkOptions.PublicBaseUrl)}"] ??= url.ToString();
    }

    /// <summary>A link-signing key made once per checkout and kept in .local/, so links survive restarts; never committed.</summary>
    private static string DevelopmentSigningKey()
    {
        string file;
        try
        {
            file = Path.Combine(ProjectRoot.Find(), ".local", "link-signing-key");
        }
        catch (InvalidOperationException)
        {
            return Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
        }

        if (!File.Exists(file))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllText(file, Convert.ToHexString(RandomNumberGenerator.GetBytes(32)));
        }

        return File.ReadAllText(file).Trim();
    }
}
