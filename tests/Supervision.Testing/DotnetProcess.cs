using System.Diagnostics;
using Xunit.Abstractions;

namespace Supervision.Testing;

/// <summary>Starts <c>dotnet exec</c> on an assembly as a child process whose output goes to the test's log.</summary>
public static class DotnetProcess
{
    /// <param name="ownProcessGroup">Start it in a session and process group of its own (setsid), so that a test can kill
    /// the whole group as a crash of the machine's session would.</param>
    public static Process Start(ITestOutputHelper output, string assemblyPath, IEnumerable<string> arguments, bool ownProcessGroup = false)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(arguments);
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        var start = new ProcessStartInfo(ownProcessGroup ? "setsid" : dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (ownProcessGroup)
            start.ArgumentList.Add(dotnet);
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(assemblyPath);
        foreach (string argument in arguments)
            start.ArgumentList.Add(argument);

        Process process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {assemblyPath}.");
        process.OutputDataReceived += (_, line) => { if (line.Data is not null) output.WriteLine(line.Data); };
        process.ErrorDataReceived += (_, line) => { if (line.Data is not null) output.WriteLine(line.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
