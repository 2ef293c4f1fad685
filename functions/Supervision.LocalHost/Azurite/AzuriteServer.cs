using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Supervision.LocalHost.Azurite;

/// <summary>
/// Azurite on the loopback address: installed from the project's pinned package.json on first use, started, waited for,
/// and stopped (SIGTERM, then kill) when the host stops.
/// <para>
/// With data on disk, Azurite runs in a session of its own (<c>setsid</c>), its output in <c>azurite.log</c> beside its
/// data, so a crash of the host (kill -9 of its process group included) does not take it down with the writes it has
/// acknowledged but not yet saved (Azurite saves every 5 seconds). The next start finds it by its pid file and reuses it.
/// In memory (the tests), it stays the host's child and goes with it.
/// </para>
/// </summary>
public sealed class AzuriteServer(AzuriteOptions options, ILogger logger) : IAsyncDisposable
{
    /// <summary>Azurite's well-known development account; a public constant of the emulator, not a secret.</summary>
    private const string DevAccount = "devstoreaccount1";
    private const string DevKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private Process? process;
    private string? lastError;

    public string ConnectionString => ConnectionStringFor(options);

    public static string ConnectionStringFor(AzuriteOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return $"DefaultEndpointsProtocol=http;AccountName={DevAccount};AccountKey={DevKey};" +
        $"BlobEndpoint=http://127.0.0.1:{options.BlobPort}/{DevAccount};" +
        $"QueueEndpoint=http://127.0.0.1:{options.QueuePort}/{DevAccount};" +
        $"TableEndpoint=http://127.0.0.1:{options.TablePort}/{DevAccount};";
    }

    public int? ProcessId => process?.Id;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        string root = ProjectRoot.Find(options.ProjectRoot);
        string entry = Path.Combine(root, "node_modules", "azurite", "dist", "src", "azurite.js");
        if (!File.Exists(entry))
            await InstallAsync(root, cancellationToken);

        string dataDirectory = Path.GetFullPath(options.DataDirectory, root);
        Directory.CreateDirectory(dataDirectory);
        if (!options.InMemory && await ReuseLeftoverAsync(dataDirectory))
            return;
        await StopLeftoverAsync(dataDirectory);

        process = options.InMemory ? StartChild(root, entry, dataDirectory) : StartDetached(root, entry, dataDirectory);
        await File.WriteAllTextAsync(PidFile(dataDirectory), process.Id.ToString(CultureInfo.InvariantCulture), cancellationToken);

        await WaitUntilListeningAsync(dataDirectory, cancellationToken);
        logger.LogInformation("Azurite {Pid} listening on 127.0.0.1:{BlobPort}/{QueuePort}/{TablePort}, data in {DataDirectory}",
            process.Id, options.BlobPort, options.QueuePort, options.TablePort, options.InMemory ? "memory" : dataDirectory);
    }

    private Process StartChild(string root, string entry, string dataDirectory)
    {
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in Arguments(entry, dataDirectory))
            start.ArgumentList.Add(argument);

        Process child = Process.Start(start) ?? throw new InvalidOperationException("Azurite could not be started.");
        child.OutputDataReceived += (_, line) => { if (line.Data is { Length: > 0 }) logger.LogDebug("azurite: {Line}", line.Data); };
        child.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is { Length: > 0 })
            {
                lastError = line.Data;
                logger.LogWarning("azurite: {Line}", line.Data);
            }
        };
        child.BeginOutputReadLine();
        child.BeginErrorReadLine();
        return child;
    }

    /// <summary>
    /// Node in a new session (setsid, which execs it under the same pid), reading nothing and writing to a log file: no
    /// pipe to the host that its death would break.
    /// </summary>
    private Process StartDetached(string root, string entry, string dataDirectory)
    {
        var start = new ProcessStartInfo("sh") { WorkingDirectory = root, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("log=\"$1\"; shift; exec setsid node \"$@\" >>\"$log\" 2>&1 </dev/null");
        start.ArgumentList.Add("azurite");
        start.ArgumentList.Add(LogFile(dataDirectory));
        start.ArgumentList.Add(entry);
        foreach (string argument in Arguments(entry, dataDirectory).Skip(1))
            start.ArgumentList.Add(argument);
        return Process.Start(start) ?? throw new InvalidOperationException("Azurite could not be started.");
    }

    public async Task StopAsync()
    {
        if (process is null)
            return;
        await StopProcessAsync(process);
        process.Dispose();
        process = null;
        string pidFile = PidFile(Path.GetFullPath(options.DataDirectory, ProjectRoot.Find(options.ProjectRoot)));
        File.Delete(pidFile);
    }

    public ValueTask DisposeAsync() => new(StopAsync());

    private IEnumerable<string> Arguments(string entry, string dataDirectory)
    {
        yield return entry;
        foreach (string service in new[] { "blob", "queue", "table" })
            yield return $"--{service}Host=127.0.0.1";
        yield return $"--blobPort={options.BlobPort}";
        yield return $"--queuePort={options.QueuePort}";
        yield return $"--tablePort={options.TablePort}";
        // Azurite refuses a location for in-memory data.
        yield return options.InMemory ? "--inMemoryPersistence" : $"--location={dataDirectory}";
        // The storage SDKs send API versions newer than the emulator knows.
        yield return "--skipApiVersionCheck";
        yield return "--loose";
        yield return "--disableTelemetry";
    }

    private async Task InstallAsync(string root, CancellationToken cancellationToken)
    {
        logger.LogInformation("Installing the pinned Azurite into {Root}/node_modules (first run only)", root);
        var install = new ProcessStartInfo("npm", "ci --no-audit --no-fund --loglevel=error") { WorkingDirectory = root, UseShellExecute = false };
        using Process npm = Process.Start(install) ?? throw new InvalidOperationException("npm could not be started; install Node.js.");
        await npm.WaitForExitAsync(cancellationToken);
        if (npm.ExitCode != 0)
            throw new InvalidOperationException($"'npm ci' failed with exit code {npm.ExitCode} in {root}.");
    }

    private async Task WaitUntilListeningAsync(string dataDirectory, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.StartTimeout);
        foreach (int port in Ports)
        {
            while (!await IsListeningAsync(port, timeout.Token))
            {
                if (process!.HasExited)
                {
                    string error = lastError ?? (File.Exists(LogFile(dataDirectory)) ? (await File.ReadAllLinesAsync(LogFile(dataDirectory), timeout.Token)).LastOrDefault() : null) ?? string.Empty;
                    throw new InvalidOperationException($"Azurite exited with code {process.ExitCode} before listening on port {port}: {error}");
                }

                await Task.Delay(100, timeout.Token);
            }
        }
    }

    private int[] Ports => [options.BlobPort, options.QueuePort, options.TablePort];

    /// <summary>
    /// An Azurite an earlier run left running on this data (the host crashed; Azurite, in its own session, did not) is
    /// used as it is: it holds writes it has not saved yet, which a restart would lose.
    /// </summary>
    private async Task<bool> ReuseLeftoverAsync(string dataDirectory)
    {
        if (LeftoverPid(dataDirectory) is not { } pid)
            return false;
        try
        {
            Process leftover = Process.GetProcessById(pid);
            bool listening = true;
            foreach (int port in Ports)
                listening &= await IsListeningAsync(port, CancellationToken.None);
            if (leftover.ProcessName != "node" || !listening)
            {
                leftover.Dispose();
                return false;
            }

            process = leftover;
            logger.LogWarning("Using Azurite {Pid}, left running by an earlier run of the host, with the writes it holds", pid);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static int? LeftoverPid(string dataDirectory) =>
        File.Exists(PidFile(dataDirectory)) && int.TryParse(File.ReadAllText(PidFile(dataDirectory)), NumberStyles.None, CultureInfo.InvariantCulture, out int pid) ? pid : null;

    private static async Task<bool> IsListeningAsync(int port, CancellationToken cancellationToken)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>An Azurite left behind that cannot be used (not listening) is stopped before a new one starts.</summary>
    private async Task StopLeftoverAsync(string dataDirectory)
    {
        string pidFile = PidFile(dataDirectory);
        if (LeftoverPid(dataDirectory) is not { } pid)
            return;
        try
        {
            using Process leftover = Process.GetProcessById(pid);
            if (leftover.ProcessName == "node")
            {
                logger.LogWarning("Stopping Azurite {Pid} left behind by an earlier run", pid);
                await StopProcessAsync(leftover);
            }
        }
        catch (ArgumentException)
        {
            // Already gone.
        }

        File.Delete(pidFile);
    }

    private static async Task StopProcessAsync(Process target)
    {
        if (target.HasExited)
            return;
        using (Process? term = Process.Start(new ProcessStartInfo("kill", $"-TERM {target.Id}") { UseShellExecute = false }))
        {
            if (term is not null)
                await term.WaitForExitAsync();
        }

        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await target.WaitForExitAsync(grace.Token);
        }
        catch (OperationCanceledException)
        {
            // SIGTERM sometimes leaves node running (notes/local-engine.md): end it.
            target.Kill(entireProcessTree: true);
            await target.WaitForExitAsync();
        }
    }

    private static string PidFile(string dataDirectory) => Path.Combine(dataDirectory, "azurite.pid");

    private static string LogFile(string dataDirectory) => Path.Combine(dataDirectory, "azurite.log");
}
