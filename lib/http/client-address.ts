import { isIPv6 } from 'node:net';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';

/** The eight 16-bit groups of a valid IPv6 address (`::` expanded, a trailing dotted IPv4 part split in two). */
function ipv6Groups(address: string): number[] {
  const groups = (part: string) =>
    (part ? part.split(':') : []).flatMap((group) => {
      if (!group.includes('.')) return [Number.parseInt(group, 16)];
      const [a = 0, b = 0, c = 0, d = 0] = group.split('.').map(Number);
      return [(a << 8) | b, (c << 8) | d];
    });
  const [head = '', tail] = address.split('::');
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  return [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
}

/**
 * Who a request counts as for per-address limits (login throttling, rate limits, anonymous view counts): the
 * address API Gateway saw, an IPv6 address by its /64 prefix — one subscriber is routinely given a whole /64 and
 * can move through it at will — and an IPv4-mapped IPv6 address as the IPv4 address it is. Never a header the client
 * could write.
 *
 * @example
 * clientAddress(event); // '198.51.100.7', or '2001:db8:7:42::/64' for 2001:db8:7:42:a1b2::9
 */
export function clientAddress(event: APIGatewayProxyEventV2): string {
  const address = event.requestContext?.http?.sourceIp ?? 'unknown';
  const ipv6 = address.split('%')[0] ?? address;
  if (!isIPv6(ipv6)) return address;
  const groups = ipv6Groups(ipv6);
  if (groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff) {
    const [high = 0, low = 0] = groups.slice(6);
    return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
  }
  return `${groups
    .slice(0, 4)
    .map((group) => group.toString(16))
    .join(':')}::/64`;
}
