using System.Globalization;
using System.Net;

namespace Supervision.Testing;

/// <summary>The TCP addresses a process listens on, read from /proc (Linux), so a test can prove nothing binds beyond loopback.</summary>
public static class ListeningSockets
{
    private const string ListenState = "0A";

    public static IReadOnlyList<IPEndPoint> Of(int processId)
    {
        HashSet<string> inodes = [];
        foreach (string fd in Directory.EnumerateFileSystemEntries($"/proc/{processId}/fd"))
        {
            string? target = new FileInfo(fd).LinkTarget;
            if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal))
                inodes.Add(target["socket:[".Length..^1]);
        }

        var endpoints = new List<IPEndPoint>();
        foreach (string table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            if (!File.Exists(table))
                continue;
            foreach (string line in File.ReadLines(table).Skip(1))
            {
                string[] columns = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (columns.Length > 9 && columns[3] == ListenState && inodes.Contains(columns[9]))
                    endpoints.Add(Parse(columns[1]));
            }
        }

        return endpoints;
    }

    /// <summary>/proc writes addresses as hex in host byte order per 32-bit word, then ":port" in hex.</summary>
    private static IPEndPoint Parse(string hex)
    {
        string[] parts = hex.Split(':');
        byte[] address = Convert.FromHexString(parts[0]);
        for (int word = 0; word < address.Length; word += 4)
            Array.Reverse(address, word, 4);
        return new IPEndPoint(new IPAddress(address), int.Parse(parts[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
    }
}
