using Onnx;

namespace Dsh.Pretrained;

/// <summary>
/// Who produces and who consumes each value of an ONNX graph, its initializers by name, and the node-by-node
/// bookkeeping the structure matchers use (every node must be claimed exactly once).
/// </summary>
internal sealed class OnnxGraphIndex
{
    private readonly Dictionary<string, List<NodeProto>> consumers = [];
    private readonly Dictionary<NodeProto, int> order = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<NodeProto> claimed = new(ReferenceEqualityComparer.Instance);

    public OnnxGraphIndex(GraphProto graph)
    {
        Graph = graph;
        foreach (TensorProto t in graph.Initializer)
        {
            Initializers[t.Name] = t;
        }
        for (int i = 0; i < graph.Node.Count; i++)
        {
            NodeProto node = graph.Node[i];
            order[node] = i;
            if (node.Domain is not ("" or "ai.onnx"))
            {
                throw new InvalidDataException($"{Label(node)} is in operator domain '{node.Domain}', not the standard ONNX one.");
            }
            foreach (string input in node.Input.Where(s => s.Length > 0))
            {
                if (!consumers.TryGetValue(input, out List<NodeProto>? list))
                {
                    consumers[input] = list = [];
                }
                list.Add(node);
            }
        }
    }

    public GraphProto Graph { get; }

    public Dictionary<string, TensorProto> Initializers { get; } = [];

    /// <summary>The graph input that is not an initializer (the image batch).</summary>
    public ValueInfoProto DataInput
    {
        get
        {
            ValueInfoProto[] inputs = Graph.Input.Where(i => !Initializers.ContainsKey(i.Name)).ToArray();
            return inputs.Length == 1
                ? inputs[0]
                : throw new InvalidDataException($"The graph has {inputs.Length} data inputs ({string.Join(", ", inputs.Select(i => i.Name))}); a trunk has one.");
        }
    }

    /// <summary>"node 'Name' (OpType)", or "node #i (OpType)" for an unnamed node.</summary>
    public string Label(NodeProto node) =>
        node.Name.Length > 0 ? $"node '{node.Name}' ({node.OpType})" : $"node #{order[node]} ({node.OpType})";

    /// <summary>The nodes that read <paramref name="value"/>.</summary>
    public IReadOnlyList<NodeProto> ConsumersOf(string value) =>
        consumers.TryGetValue(value, out List<NodeProto>? list) ? list : [];

    /// <summary>Marks <paramref name="node"/> as matched; a node matched twice is a cycle or a shared layer.</summary>
    public void Claim(NodeProto node)
    {
        if (!claimed.Add(node))
        {
            throw new InvalidDataException($"{Label(node)} is reached twice; a ResNet trunk is a chain of blocks.");
        }
    }

    /// <summary>Marks <paramref name="node"/> as matched if it is not yet (pass-through nodes met more than once).</summary>
    public void ClaimOnce(NodeProto node) => claimed.Add(node);

    /// <summary>Throws naming the first node that no matcher claimed.</summary>
    public void RequireAllClaimed()
    {
        NodeProto? stray = Graph.Node.FirstOrDefault(n => !claimed.Contains(n));
        if (stray is not null)
        {
            throw new InvalidDataException($"{Label(stray)} is not part of the ResNet structure (inputs: {string.Join(", ", stray.Input)}).");
        }
    }

    /// <summary>The initializer named <paramref name="name"/>, input <paramref name="role"/> of <paramref name="node"/>.</summary>
    public TensorProto Initializer(NodeProto node, string name, string role) =>
        Initializers.TryGetValue(name, out TensorProto? t)
            ? t
            : throw new InvalidDataException($"{Label(node)}: its {role} '{name}' is not a constant (initializer) of the graph.");
}
