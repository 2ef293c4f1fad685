namespace Supervision.Infra.Tests.Infra.App;

public class KeyVaultBicepTests
{
    [Fact]
    public async Task KeyVault_UsesRbacSoftDeleteAndPurgeProtection()
    {
        ArmResource vault = await CompiledTemplate.SingleResourceAsync("Microsoft.KeyVault/vaults");

        Assert.True(vault.Properties["enableRbacAuthorization"]?.GetValue<bool>());
        Assert.True(vault.Properties["enableSoftDelete"]?.GetValue<bool>());
        Assert.True(vault.Properties["enablePurgeProtection"]?.GetValue<bool>());
    }

    [Fact]
    public async Task SendGridSecret_IsStoredOnlyWhenAKeyIsGiven()
    {
        IReadOnlyList<ArmResource> secrets = await CompiledTemplate.ResourcesAsync("Microsoft.KeyVault/vaults/secrets");

        ArmResource sendGrid = Assert.Single(secrets, secret => secret.Name.Contains("'SendGridApiKey'", StringComparison.Ordinal));
        Assert.Contains("empty(parameters('sendGridApiKey'))", sendGrid.Resource["condition"]?.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LinkSigningSecret_IsAlwaysStored()
    {
        IReadOnlyList<ArmResource> secrets = await CompiledTemplate.ResourcesAsync("Microsoft.KeyVault/vaults/secrets");

        ArmResource linkSigning = Assert.Single(secrets, secret => secret.Name.Contains("'LinkSigningKey'", StringComparison.Ordinal));
        Assert.Null(linkSigning.Resource["condition"]);
    }
}
