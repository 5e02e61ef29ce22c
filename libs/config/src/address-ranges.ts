import { BlockList, isIP } from 'node:net';

/**
 * Address ranges (`10.0.0.0/16`, `::1`, `fd00::/8`; a bare address is a range of one) as a
 * membership test on node:net's BlockList. IPv4-mapped IPv6 peers (`::ffff:10.0.0.7`, what a
 * dual-stack socket reports) are tested as the IPv4 address they are. Throws on a malformed range.
 */
export function addressRanges(ranges: string[]): (address: string) => boolean {
  const list = new BlockList();
  for (const range of ranges) {
    const [address = '', bits, ...rest] = range.split('/');
    const family = isIP(address);
    const prefix = bits === undefined ? (family === 6 ? 128 : 32) : /^\d{1,3}$/.test(bits) ? Number(bits) : NaN;
    if (!family || rest.length || !(prefix >= 0 && prefix <= (family === 6 ? 128 : 32)))
      throw new Error(`not an address range: ${JSON.stringify(range)}`);
    list.addSubnet(address, prefix, family === 6 ? 'ipv6' : 'ipv4');
  }
  return (address) => {
    const plain = address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');
    const family = isIP(plain);
    return family !== 0 && list.check(plain, family === 6 ? 'ipv6' : 'ipv4');
  };
}
