/** The demo catalogue the seed puts into an empty development database. */
export const DEMO_CATALOGUE = [
  {
    name: 'Coffee',
    slug: 'coffee',
    description: 'Beans and ground coffee',
    products: [
      { sku: 'COF-ESP-1KG', name: 'Espresso beans 1 kg', price: '24.90', stock: 40, description: 'Dark roast, chocolate notes' },
      { sku: 'COF-FIL-250', name: 'Filter coffee 250 g', price: '8.50', stock: 120, description: 'Light roast, citrus notes' },
    ],
  },
  {
    name: 'Brewing gear',
    slug: 'brewing-gear',
    description: 'Everything to make it',
    products: [
      { sku: 'GEAR-V60', name: 'Pour-over dripper', price: '19.99', stock: 25, description: 'Ceramic, size 02' },
      { sku: 'GEAR-GRIND', name: 'Hand grinder', price: '89.00', stock: 10, description: 'Conical steel burrs' },
      { sku: 'GEAR-KETTLE', name: 'Gooseneck kettle', price: '49.95', stock: 0, description: 'Out of stock for now' },
    ],
  },
  {
    name: 'Tea',
    slug: 'tea',
    description: 'Loose leaf tea',
    products: [{ sku: 'TEA-SENCHA', name: 'Sencha 100 g', price: '12.00', stock: 60, description: 'Japanese green tea' }],
  },
];
