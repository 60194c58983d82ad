using System.Diagnostics;
using System.Globalization;

namespace Dsh.Cli.Progress;

/// <summary>
/// Progress as plain lines, no ANSI codes, for redirected output: <c>name: value/total (pct%) detail</c>, at most
/// one line per task every <see cref="MinInterval"/> plus the first and the last.
/// </summary>
internal sealed class PlainProgressSink(TextWriter writer) : IProgressSink
{
    /// <summary>Smallest time between two update lines of one task.</summary>
    public static TimeSpan MinInterval { get; set; } = TimeSpan.FromSeconds(2);

    private readonly object _lock = new();

    public IProgressTask AddTask(string name, double total) => new PlainTask(this, name, total);

    public void Message(string line)
    {
        lock (_lock)
        {
            writer.WriteLine(line);
            writer.Flush();
        }
    }

    private sealed class PlainTask(PlainProgressSink sink, string name, double total) : IProgressTask
    {
        private long _lastLine = -1;
        private bool _done;
        private double _total = total;

        public void Update(double value, string? detail = null)
        {
            long now = Stopwatch.GetTimestamp();
            if (_done || (_lastLine >= 0 && Stopwatch.GetElapsedTime(_lastLine, now) < MinInterval))
            {
                return;
            }
            _lastLine = now;
            Write(value, detail);
        }

        public void SetTotal(double total) => _total = total;

        public void Complete(string? detail = null)
        {
            if (_done)
            {
                return;
            }
            _done = true;
            Write(_total, detail);
        }

        private void Write(double value, string? detail)
        {
            if (_total <= 0)
            {
                sink.Message(detail is null ? name : $"{name}: {detail}");
                return;
            }
            string pct = _total > 0 ? $" ({100 * value / _total:0}%)" : "";
            string count = _total > 0 ? $"{value.ToString("0", CultureInfo.InvariantCulture)}/{_total.ToString("0", CultureInfo.InvariantCulture)}" : "";
            sink.Message(string.Join(' ', new[] { name + ":", count + pct, detail ?? "" }.Where(s => s.Length > 0)));
        }
    }
}
