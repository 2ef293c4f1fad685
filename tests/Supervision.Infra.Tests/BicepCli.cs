using System.Diagnostics;
using System.Reflection;
using System.Text.RegularExpressions;

namespace Supervision.Infra.Tests;

/// <summary>What one run of the Bicep CLI returned.</summary>
public sealed partial record BicepResult(int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>The diagnostic lines (<c>file(line,col) : Warning rule: ...</c> or <c>: Error ...</c>) in stderr.</summary>
    public IReadOnlyList<string> Diagnostics =>
        StandardError
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => DiagnosticLine().IsMatch(line))
            .ToList();

    [GeneratedRegex(@":\s*(Warning|Error)\b", RegexOptions.CultureInvariant)]
    private static partial Regex DiagnosticLine();
}

/// <summary>
/// Runs the <c>bicep</c> binary of the Azure.Bicep.CommandLine package (its path comes from the package's
/// <c>BicepPath</c> property, stamped into this assembly at build time) from the repository root.
/// Output always goes to stdout: nothing is ever written into <c>infra/</c>.
/// </summary>
public static class BicepCli
{
    public const string MainTemplate = "infra/main.bicep";

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    public static string RepositoryRoot { get; } = Metadata("RepositoryRoot");

    public static string BicepPath { get; } = Metadata("BicepPath");

    public static Task<BicepResult> BuildToStdoutAsync(string template) => RunAsync("build", template, "--stdout");

    public static Task<BicepResult> LintAsync(string template) => RunAsync("lint", template);

    /// <summary>
    /// Evaluates a deployment of <paramref name="parametersFile"/> (a <c>.bicepparam</c> outside <c>infra/</c>) as
    /// Azure would plan it, without Azure: <c>bicep snapshot</c> writes the predicted resources, with every parameter,
    /// condition and loop resolved, to <c>&lt;name&gt;.snapshot.json</c> beside the parameters file.
    /// </summary>
    public static Task<BicepResult> SnapshotAsync(string parametersFile) => RunAsync(
        "snapshot", parametersFile, "--mode", "overwrite",
        "--subscription-id", "00000000-0000-0000-0000-0000000000aa",
        "--tenant-id", "00000000-0000-0000-0000-0000000000bb",
        "--location", "japaneast");

    private static async Task<BicepResult> RunAsync(params string[] arguments)
    {
        EnsureExecutable(BicepPath);
        var startInfo = new ProcessStartInfo(BicepPath)
        {
            WorkingDirectory = RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)
            ?? throw new InvalidOperationException($"Could not start {BicepPath}.");
        using var timeout = new CancellationTokenSource(Timeout);
        Task<string> stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        Task<string> stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bicep {string.Join(' ', arguments)} did not finish within {Timeout}.");
        }

        return new BicepResult(process.ExitCode, await stdout, await stderr);
    }

    private static void EnsureExecutable(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException("The Bicep CLI from the Azure.Bicep.CommandLine package was not found; restore the test project.", path);
        }

        if (!OperatingSystem.IsWindows())
        {
            UnixFileMode mode = File.GetUnixFileMode(path);
            if (!mode.HasFlag(UnixFileMode.UserExecute))
            {
                File.SetUnixFileMode(path, mode | UnixFileMode.UserExecute);
            }
        }
    }

    private static string Metadata(string key)
    {
        string? value = typeof(BicepCli).Assembly
            .GetCustomAttributes<AssemblyMetadataAttribute>()
            .SingleOrDefault(attribute => attribute.Key == key)?.Value;
        return string.IsNullOrEmpty(value)
            ? throw new InvalidOperationException($"Assembly metadata '{key}' is missing: build the test project with its package restored.")
            : value;
    }
}
