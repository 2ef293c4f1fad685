using Supervision.Testing;

namespace Supervision.LocalHost.Tests;

[CollectionDefinition(Name)]
public sealed class SharedAzurite : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}
