using System.Reflection.Emit;
using System.Reflection;

namespace Dsh.Tests.Layering;

/// <summary>One metadata token in a method body's IL: the instruction that carries it and where.</summary>
/// <param name="OpCode">The instruction.</param>
/// <param name="Offset">The instruction's offset in the IL.</param>
/// <param name="Token">The metadata token (a type, method, field, member reference or method spec).</param>
internal readonly record struct IlToken(OpCode OpCode, int Offset, int Token);

/// <summary>
/// Walks a method body's IL and yields the metadata tokens of the instructions whose operand is a type, a method, a
/// field or a <c>ldtoken</c> operand. Operand sizes come from <see cref="OpCodes"/>, so no opcode table is kept here.
/// </summary>
internal static class IlTokens
{
    private static readonly OpCode?[] OneByte = new OpCode?[256];
    private static readonly OpCode?[] TwoByte = new OpCode?[256];

#pragma warning disable CA1810 // the tables are filled from reflection; a static constructor says so plainly
    static IlTokens()
#pragma warning restore CA1810
    {
        foreach (FieldInfo field in typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            if (field.GetValue(null) is OpCode op)
            {
                ushort value = unchecked((ushort)op.Value);
                if (op.Size == 1)
                {
                    OneByte[value] = op;
                }
                else
                {
                    TwoByte[value & 0xFF] = op;
                }
            }
        }
    }

    /// <summary>The tokens of the InlineMethod, InlineField, InlineType and InlineTok operands in <paramref name="il"/>.</summary>
    /// <param name="il">A method body, from <see cref="MethodBody.GetILAsByteArray"/>.</param>
    /// <exception cref="InvalidDataException">An opcode is unknown or an operand runs past the end.</exception>
    public static IEnumerable<IlToken> Read(byte[] il)
    {
        int i = 0;
        while (i < il.Length)
        {
            int offset = i;
            byte first = il[i++];
            OpCode? known;
            if (first == 0xFE)
            {
                if (i >= il.Length)
                {
                    throw new InvalidDataException($"IL ends inside a two-byte opcode at {offset}");
                }
                known = TwoByte[il[i++]];
            }
            else
            {
                known = OneByte[first];
            }
            if (known is not OpCode op)
            {
                throw new InvalidDataException($"Unknown IL opcode 0x{first:X2} at offset {offset}");
            }

            int operandSize = op.OperandType switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 + 4 * (int)ReadUInt32(il, i, offset),
                _ => 4, // InlineBrTarget, InlineField, InlineI, InlineMethod, InlineSig, InlineString, InlineTok, InlineType, ShortInlineR
            };
            if (i + operandSize > il.Length)
            {
                throw new InvalidDataException($"The operand of {op.Name} at offset {offset} runs past the end of the IL");
            }
            if (op.OperandType is OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineType or OperandType.InlineTok)
            {
                yield return new IlToken(op, offset, (int)ReadUInt32(il, i, offset));
            }
            i += operandSize;
        }
    }

    private static uint ReadUInt32(byte[] il, int at, int instruction)
    {
        if (at + 4 > il.Length)
        {
            throw new InvalidDataException($"The operand of the instruction at offset {instruction} runs past the end of the IL");
        }
        return BitConverter.ToUInt32(il, at);
    }
}
