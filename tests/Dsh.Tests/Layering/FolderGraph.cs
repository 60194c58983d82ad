using System.Text;

namespace Dsh.Tests.Layering;

/// <summary>
/// A dependency graph between folders (nodes are folder paths relative to the library's source folder, "" is its
/// root), each edge with the type pairs that make it. Finds the strongly connected components (Tarjan) and describes
/// the cycles in them.
/// </summary>
internal sealed class FolderGraph
{
    private readonly SortedSet<string> _nodes = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, SortedDictionary<string, SortedDictionary<string, TypeUse>>> _edges = new(StringComparer.Ordinal);

    /// <summary>The folders.</summary>
    public IReadOnlySet<string> Nodes => _nodes;

    /// <summary>How many folder-to-folder edges there are.</summary>
    public int EdgeCount => _edges.Values.Sum(targets => targets.Count);

    /// <summary>Adds a folder with no edges yet.</summary>
    public void AddNode(string folder) => _nodes.Add(folder);

    /// <summary>
    /// Adds the edge <paramref name="from"/> → <paramref name="to"/> because <paramref name="user"/> uses <paramref name="used"/> (<paramref name="via"/> says where); the first use
    /// of each (user, used) pair of outermost types is kept as its example.
    /// </summary>
    public void AddEdge(string from, string to, Type user, Type used, string via)
    {
        if (from == to)
        {
            return;
        }
        _nodes.Add(from);
        _nodes.Add(to);
        if (!_edges.TryGetValue(from, out var targets))
        {
            _edges[from] = targets = new SortedDictionary<string, SortedDictionary<string, TypeUse>>(StringComparer.Ordinal);
        }
        if (!targets.TryGetValue(to, out var pairs))
        {
            targets[to] = pairs = new SortedDictionary<string, TypeUse>(StringComparer.Ordinal);
        }
        pairs.TryAdd($"{user.FullName} → {used.FullName}", new TypeUse(user, used, via));
    }

    /// <summary>The folders <paramref name="from"/> depends on.</summary>
    public IEnumerable<string> Targets(string from) =>
        _edges.TryGetValue(from, out var targets) ? targets.Keys : [];

    /// <summary>The type pairs behind one edge, sorted by the users' and then the used types' full names.</summary>
    public IReadOnlyList<TypeUse> Pairs(string from, string to) =>
        _edges.TryGetValue(from, out var targets) && targets.TryGetValue(to, out var pairs) ? pairs.Values.ToList() : [];

    /// <summary>The strongly connected components with more than one folder, each sorted, in a stable order.</summary>
    public List<List<string>> CyclicComponents()
    {
        // Tarjan's algorithm; the graph has a few dozen nodes, so recursion is fine.
        int next = 0;
        var index = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var onStack = new HashSet<string>();
        var components = new List<List<string>>();

        void Visit(string node)
        {
            index[node] = low[node] = next++;
            stack.Push(node);
            onStack.Add(node);
            foreach (string target in Targets(node))
            {
                if (!index.ContainsKey(target))
                {
                    Visit(target);
                    low[node] = Math.Min(low[node], low[target]);
                }
                else if (onStack.Contains(target))
                {
                    low[node] = Math.Min(low[node], index[target]);
                }
            }
            if (low[node] == index[node])
            {
                var component = new List<string>();
                string member;
                do
                {
                    member = stack.Pop();
                    onStack.Remove(member);
                    component.Add(member);
                }
                while (member != node);
                if (component.Count > 1)
                {
                    component.Sort(StringComparer.Ordinal);
                    components.Add(component);
                }
            }
        }

        foreach (string node in _nodes)
        {
            if (!index.ContainsKey(node))
            {
                Visit(node);
            }
        }
        return components.OrderBy(c => c[0], StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// Cycles that together use every edge inside <paramref name="component"/>: for each edge u → v, the cycle closed by
    /// a shortest path from v back to u within the component. Each cycle starts at its smallest folder; no duplicates.
    /// </summary>
    public List<List<string>> Cycles(IReadOnlyCollection<string> component)
    {
        var inside = new HashSet<string>(component);
        var cycles = new List<List<string>>();
        var seen = new HashSet<string>();
        foreach (string from in component)
        {
            foreach (string to in Targets(from).Where(inside.Contains))
            {
                List<string> back = ShortestPath(to, from, inside);
                var cycle = new List<string> { from };
                cycle.AddRange(back.Take(back.Count - 1));
                int start = cycle.IndexOf(cycle.Min(StringComparer.Ordinal)!);
                cycle = cycle.Skip(start).Concat(cycle.Take(start)).ToList();
                if (seen.Add(string.Join('\n', cycle)))
                {
                    cycles.Add(cycle);
                }
            }
        }
        return cycles.OrderBy(c => c.Count).ThenBy(c => string.Join('\n', c), StringComparer.Ordinal).ToList();
    }

    /// <summary>A readable account of every cycle, with one example type pair per edge; empty if there is none.</summary>
    public string DescribeCycles(string sourceFolder)
    {
        List<List<string>> components = CyclicComponents();
        if (components.Count == 0)
        {
            return "";
        }
        var text = new StringBuilder();
        text.AppendLine($"The folders of {sourceFolder} depend on each other in cycles ({components.Count} group(s) of mutually dependent folders).");
        text.AppendLine("Each cycle below reads folder → folder → …, with one example per edge: A uses B (where).");
        foreach (List<string> component in components)
        {
            text.AppendLine();
            text.AppendLine($"Group: {string.Join(", ", component.Select(Display))}");
            foreach (List<string> cycle in Cycles(component))
            {
                text.AppendLine($"  Cycle: {string.Join(" → ", cycle.Append(cycle[0]).Select(Display))}");
                for (int i = 0; i < cycle.Count; i++)
                {
                    string from = cycle[i], to = cycle[(i + 1) % cycle.Count];
                    IReadOnlyList<TypeUse> pairs = Pairs(from, to);
                    TypeUse example = pairs[0];
                    string more = pairs.Count > 1 ? $" [+{pairs.Count - 1} more pair(s)]" : "";
                    text.AppendLine($"    {Display(from)} → {Display(to)}: {example.User.FullName} uses {example.Used.FullName} ({example.Via}){more}");
                }
            }
        }

        text.AppendLine();
        text.AppendLine($"Every type pair on the edges inside the group(s) (up to {MaxPairsListed} per edge):");
        foreach (List<string> component in components)
        {
            var inside = new HashSet<string>(component);
            foreach (string from in component)
            {
                foreach (string to in Targets(from).Where(inside.Contains))
                {
                    IReadOnlyList<TypeUse> pairs = Pairs(from, to);
                    text.AppendLine($"  {Display(from)} → {Display(to)} ({pairs.Count} pair(s)):");
                    foreach (TypeUse pair in pairs.Take(MaxPairsListed))
                    {
                        text.AppendLine($"    {pair.User.FullName} uses {pair.Used.FullName} ({pair.Via})");
                    }
                }
            }
        }
        return text.ToString();
    }

    private const int MaxPairsListed = 10;

    /// <summary>How a folder is shown: its path, or "(root)" for the source folder itself.</summary>
    public static string Display(string folder) => folder.Length == 0 ? "(root)" : folder;

    private List<string> ShortestPath(string from, string to, HashSet<string> inside)
    {
        var previous = new Dictionary<string, string> { [from] = from };
        var queue = new Queue<string>();
        queue.Enqueue(from);
        while (queue.Count > 0)
        {
            string node = queue.Dequeue();
            if (node == to)
            {
                var path = new List<string> { to };
                while (path[^1] != from)
                {
                    path.Add(previous[path[^1]]);
                }
                path.Reverse();
                return path;
            }
            foreach (string target in Targets(node).Where(inside.Contains))
            {
                if (previous.TryAdd(target, node))
                {
                    queue.Enqueue(target);
                }
            }
        }
        throw new InvalidOperationException($"No path from {from} to {to} inside a strongly connected component");
    }
}
