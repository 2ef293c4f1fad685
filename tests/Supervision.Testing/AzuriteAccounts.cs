using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Supervision.LocalHost.Azurite;

namespace Supervision.Testing;

/// <summary>
/// The test assembly's Azurite, declared with <see cref="PerProcess"/> storage accounts (Azurite's <c>AZURITE_ACCOUNTS</c>)
/// handed out one per fixture and never twice. It starts with the first fixture and stops when the last one is
/// disposed; a fixture asking when every account is taken gets a fresh Azurite.
/// </summary>
internal static class AzuriteAccounts
{
    public const int PerProcess = 32;

    /// <summary>The emulator's well-known account, a public constant and not a secret: kept, so that any process that
    /// inherits the variable while an Azurite starts (the local host a test starts as a process) still finds it.</summary>
    private const string DevAccount = "devstoreaccount1:Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private const string AccountsVariable = "AZURITE_ACCOUNTS";

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static Instance? current;

    public static async Task<Lease> LeaseAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (current is null || current.Handed == PerProcess)
                current = await Instance.StartAsync();
            current.Leases++;
            return new Lease(current, current.Handed++);
        }
        finally
        {
            Gate.Release();
        }
    }

    internal sealed class Lease(Instance instance, int account)
    {
        public string ConnectionString { get; } = instance.ConnectionString(account);

        public async Task ReleaseAsync()
        {
            await Gate.WaitAsync();
            try
            {
                if (--instance.Leases > 0)
                    return;
                if (ReferenceEquals(current, instance))
                    current = null;
                await instance.Server.DisposeAsync();
            }
            finally
            {
                Gate.Release();
            }
        }
    }

    internal sealed class Instance
    {
        private readonly string key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(64));
        private readonly string prefix = "t" + Guid.NewGuid().ToString("N")[..8];
        private readonly AzuriteOptions options = new()
        {
            InMemory = true,
            BlobPort = FreePorts.Next(),
            QueuePort = FreePorts.Next(),
            TablePort = FreePorts.Next(),
            DataDirectory = Path.Combine(Path.GetTempPath(), "supervision-tests", Guid.NewGuid().ToString("N")),
        };

        private Instance() => Server = new AzuriteServer(options, NullLogger.Instance);

        public AzuriteServer Server { get; }

        public int Handed { get; set; }

        public int Leases { get; set; }

        /// <summary>Letters and digits, 3 to 24 of them, as Azure's account names.</summary>
        private string Account(int index) => $"{prefix}a{index:D2}";

        public string ConnectionString(int index)
        {
            string account = Account(index);
            return $"DefaultEndpointsProtocol=http;AccountName={account};AccountKey={key};" +
                $"BlobEndpoint=http://127.0.0.1:{options.BlobPort}/{account};" +
                $"QueueEndpoint=http://127.0.0.1:{options.QueuePort}/{account};" +
                $"TableEndpoint=http://127.0.0.1:{options.TablePort}/{account};";
        }

        public static async Task<Instance> StartAsync()
        {
            var instance = new Instance();
            // Azurite reads its accounts from its environment, which the child process inherits from this one.
            string? before = Environment.GetEnvironmentVariable(AccountsVariable);
            Environment.SetEnvironmentVariable(
                AccountsVariable,
                string.Join(';', Enumerable.Range(0, PerProcess).Select(index => $"{instance.Account(index)}:{instance.key}").Prepend(DevAccount)));
            try
            {
                await instance.Server.StartAsync(CancellationToken.None);
            }
            catch
            {
                await instance.Server.DisposeAsync();
                throw;
            }
            finally
            {
                Environment.SetEnvironmentVariable(AccountsVariable, before);
            }

            return instance;
        }
    }
}
